"""Generators and discriminators (critics) of the course; every discriminator returns logits."""

from .analytic import AffineGenerator, KantorovichCritic1D, OptimalDiscriminator
from .base import MODEL_REGISTRY, CourseModule, Discriminator, Generator
from .bigan import Encoder, JointDiscriminator, MLPEncoder, ToyEncoder, ToyJointDiscriminator, pair
from .dcgan import DCGANDiscriminator, DCGANGenerator
from .mlp import MLPDiscriminator, MLPGenerator, ToyDiscriminator, ToyGenerator
from .san import SANLinear, SliceOutputs

__all__ = [
    "MODEL_REGISTRY", "CourseModule", "Generator", "Discriminator",
    "ToyGenerator", "ToyDiscriminator", "MLPGenerator", "MLPDiscriminator",
    "DCGANGenerator", "DCGANDiscriminator", "AffineGenerator", "OptimalDiscriminator", "KantorovichCritic1D",
    "SANLinear", "SliceOutputs",
    "Encoder", "MLPEncoder", "ToyEncoder", "JointDiscriminator", "ToyJointDiscriminator", "pair",
]
